// The preview's entry: synthetic shadow first (as on the platform), then the shell.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'preview/app';

const app = createElement('preview-app', { is: App });
document.getElementById('root').appendChild(app);
